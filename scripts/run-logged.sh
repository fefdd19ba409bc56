# Sourced by the install scripts: run a long, chatty command with its output in a log file, one
# progress line every GCM_PROGRESS_SECONDS (default 20) instead of minutes of silence or hundreds
# of raw lines, and the log's tail when it fails.
#   run_logged LABEL LOGFILE CMD...      returns CMD's exit status

run_logged() {
  local label=$1 log=$2; shift 2
  local every=${GCM_PROGRESS_SECONDS:-20} start=$SECONDS pid rc last
  mkdir -p "$(dirname "$log")"
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    # sleep in 1 s steps so a quick command does not wait a whole period
    for _ in $(seq "$every"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      last=$(tail -n 1 "$log" 2>/dev/null | tr -d '\r' | cut -c1-100)
      echo "$label: still running after $((SECONDS - start)) s${last:+ ($last)}"
    fi
  done
  rc=0; wait "$pid" || rc=$?
  if [ "$rc" != 0 ]; then
    tail -n 40 "$log" >&2
    echo "$label: failed (exit $rc) after $((SECONDS - start)) s; full log: $log" >&2
  fi
  return "$rc"
}
