/**
 * The two sides of the merged-config diff, held in memory (no temp files): the target's current
 * config as a read-only virtual document, and the merged config in a small FileSystemProvider so
 * it can be edited and saved like a file.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';

export const CURRENT_CONFIG_SCHEME = 'ganeti-current';
export const MERGED_CONFIG_SCHEME = 'ganeti-merged';

/** Read-only documents whose text is set by the extension. */
export class CurrentConfigDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const text = this.texts.get(uri.toString());
    if (text === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return text;
  }
}

interface MemoryFile {
  data: Uint8Array;
  ctime: number;
  mtime: number;
}

/** A flat, in-memory file system: files are created by the extension and may be edited by the user. */
export class MergedConfigFileSystem extends Disposable implements vscode.FileSystemProvider {
  private readonly files = new Map<string, MemoryFile>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changed.event;

  /** `validate` may refuse a save with a reason (shown by VS Code as "Failed to save"). */
  constructor(private readonly validate: (uri: vscode.Uri, content: Uint8Array) => string | undefined = () => undefined) {
    super();
  }

  /** Sets a file's content as produced by a merge (replacing any edit). */
  set(uri: vscode.Uri, text: string): void {
    const existed = this.files.has(uri.toString());
    const now = Date.now();
    this.files.set(uri.toString(), { data: new TextEncoder().encode(text), ctime: now, mtime: now });
    this.changed.fire([{ type: existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  forget(uri: vscode.Uri): void {
    this.files.delete(uri.toString());
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.lookup(uri);
    return { type: vscode.FileType.File, ctime: file.ctime, mtime: file.mtime, size: file.data.byteLength };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.lookup(uri).data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    const file = this.files.get(uri.toString());
    if (!file) {
      // Only the extension creates merged documents; "Save As" into this scheme is refused.
      if (options.create) throw vscode.FileSystemError.NoPermissions(uri);
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    const refused = this.validate(uri, content);
    if (refused) throw vscode.FileSystemError.NoPermissions(refused);
    file.data = content;
    file.mtime = Date.now();
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private lookup(uri: vscode.Uri): MemoryFile {
    const file = this.files.get(uri.toString());
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file;
  }
}
