/**
 * Cluster parameters of generated test clusters, taken from Ganeti's 3.0 sample config
 * (test/data/cluster_config_3.0.json) with two hypervisors enabled and a file storage dir.
 * Identity fields (uuid, names, IPs, ports, master) are filled in by the generator.
 */
import type { JsonObject } from '../../../src/core/config/types';

/** A fresh copy on every call: generated clusters are mutated by tests. */
export function clusterParameterTemplate(): JsonObject {
  return {
    "beparams": {
      "default": {
        "always_failover": false,
        "auto_balance": true,
        "maxmem": 128,
        "minmem": 128,
        "spindle_use": 1,
        "vcpus": 1
      }
    },
    "blacklisted_os": [],
    "candidate_pool_size": 10,
    "compression_tools": [
      "gzip",
      "gzip-fast",
      "gzip-slow"
    ],
    "data_collectors": {
      "cpu-avg-load": {
        "active": true,
        "interval": 5000000.0
      },
      "diskstats": {
        "active": true,
        "interval": 5000000.0
      },
      "drbd": {
        "active": true,
        "interval": 5000000.0
      },
      "inst-status-xen": {
        "active": true,
        "interval": 5000000.0
      },
      "lv": {
        "active": true,
        "interval": 5000000.0
      },
      "xen-cpu-avg-load": {
        "active": true,
        "interval": 5000000.0
      }
    },
    "default_iallocator": "hail",
    "default_iallocator_params": {},
    "disk_state_static": {},
    "diskparams": {
      "blockdev": {},
      "diskless": {},
      "drbd": {
        "c-delay-target": 1,
        "c-fill-target": 200,
        "c-max-rate": 2048,
        "c-min-rate": 1024,
        "c-plan-ahead": 1,
        "data-stripes": 2,
        "disk-barriers": "bf",
        "disk-custom": "",
        "dynamic-resync": false,
        "meta-barriers": true,
        "meta-stripes": 2,
        "metavg": "xenvg",
        "net-custom": "",
        "protocol": "C",
        "resync-rate": 1024
      },
      "ext": {
        "access": "kernelspace"
      },
      "file": {},
      "gluster": {
        "access": "kernelspace",
        "host": "127.0.0.1",
        "port": 24007,
        "volume": "gv0"
      },
      "plain": {
        "stripes": 2
      },
      "rbd": {
        "access": "kernelspace",
        "pool": "rbd"
      },
      "sharedfile": {}
    },
    "drbd_usermode_helper": "/bin/true",
    "enabled_disk_templates": [
      "drbd",
      "plain",
      "file",
      "sharedfile"
    ],
    "enabled_hypervisors": [
      "xen-pvm",
      "kvm"
    ],
    "enabled_user_shutdown": false,
    "file_storage_dir": "/srv/ganeti/file-storage",
    "gluster_storage_dir": "",
    "hidden_os": [],
    "hv_state_static": {
      "xen-pvm": {
        "cpu_node": 1,
        "cpu_total": 1,
        "mem_hv": 0,
        "mem_node": 0,
        "mem_total": 0
      }
    },
    "hvparams": {
      "chroot": {
        "init_script": "/ganeti-chroot"
      },
      "fake": {
        "migration_mode": "live"
      },
      "kvm": {
        "acpi": true,
        "boot_order": "disk",
        "cdrom2_image_path": "",
        "cdrom_disk_type": "",
        "cdrom_image_path": "",
        "cpu_cores": 0,
        "cpu_mask": "all",
        "cpu_sockets": 0,
        "cpu_threads": 0,
        "cpu_type": "",
        "disk_aio": "threads",
        "disk_cache": "default",
        "disk_discard": "ignore",
        "disk_type": "paravirtual",
        "floppy_image_path": "",
        "initrd_path": "",
        "kernel_args": "ro",
        "kernel_path": "/boot/vmlinuz-kvmU",
        "keymap": "",
        "kvm_extra": "",
        "kvm_flag": "",
        "kvm_path": "/usr/bin/kvm",
        "machine_version": "",
        "mem_path": "",
        "migration_bandwidth": 4,
        "migration_caps": "",
        "migration_downtime": 30,
        "migration_mode": "live",
        "migration_port": 4041,
        "nic_type": "paravirtual",
        "reboot_behavior": "reboot",
        "root_path": "/dev/vda1",
        "security_domain": "",
        "security_model": "none",
        "serial_console": true,
        "serial_speed": 38400,
        "soundhw": "",
        "spice_bind": "",
        "spice_image_compression": "",
        "spice_ip_version": 0,
        "spice_jpeg_wan_compression": "",
        "spice_password_file": "",
        "spice_playback_compression": true,
        "spice_streaming_video": "",
        "spice_tls_ciphers": "HIGH:-DES:-3DES:-EXPORT:-ADH",
        "spice_use_tls": false,
        "spice_use_vdagent": true,
        "spice_zlib_glz_wan_compression": "",
        "usb_devices": "",
        "usb_mouse": "",
        "use_chroot": false,
        "use_localtime": false,
        "user_shutdown": false,
        "vga": "",
        "vhost_net": false,
        "virtio_net_queues": 1,
        "vnc_bind_address": "",
        "vnc_password_file": "",
        "vnc_tls": false,
        "vnc_x509_path": "",
        "vnc_x509_verify": false,
        "vnet_hdr": true
      },
      "lxc": {
        "cpu_mask": "",
        "devices": "c 1:3 rw,c 1:5 rw,c 1:7 rw,c 1:8 rw,c 1:9 rw,c 1:10 rw,c 5:0 rw,c 5:1 rw,c 5:2 rw,c 136:* rw",
        "drop_capabilities": "mac_override,sys_boot,sys_module,sys_time,sys_admin",
        "extra_cgroups": "",
        "extra_config": "",
        "lxc_cgroup_use": "",
        "lxc_devices": "c 1:3 rw,c 1:5 rw,c 1:7 rw,c 1:8 rw,c 1:9 rw,c 1:10 rw,c 5:0 rw,c 5:1 rw,c 5:2 rw,c 136:* rw",
        "lxc_drop_capabilities": "mac_override,sys_boot,sys_module,sys_time",
        "lxc_extra_config": "",
        "lxc_startup_wait": 30,
        "lxc_tty": 6,
        "num_ttys": 6,
        "startup_timeout": 30
      },
      "xen-hvm": {
        "acpi": true,
        "blockdev_prefix": "hd",
        "boot_order": "cd",
        "cdrom_image_path": "",
        "cpu_cap": 0,
        "cpu_mask": "all",
        "cpu_weight": 256,
        "cpuid": "",
        "device_model": "/usr/lib/xen/bin/qemu-dm",
        "disk_type": "paravirtual",
        "kernel_path": "/usr/lib/xen/boot/hvmloader",
        "migration_mode": "non-live",
        "migration_port": 8082,
        "nic_type": "rtl8139",
        "pae": true,
        "pci_pass": "",
        "reboot_behavior": "reboot",
        "soundhw": "",
        "use_localtime": false,
        "vif_script": "",
        "vif_type": "ioemu",
        "viridian": false,
        "vnc_bind_address": "0.0.0.0",
        "vnc_password_file": "/your/vnc-cluster-password",
        "xen_cmd": "xl"
      },
      "xen-pvm": {
        "blockdev_prefix": "sd",
        "bootloader_args": "",
        "bootloader_path": "",
        "cpu_cap": 0,
        "cpu_mask": "all",
        "cpu_weight": 256,
        "cpuid": "",
        "initrd_path": "",
        "kernel_args": "ro",
        "kernel_path": "/boot/vmlinuz-xenU",
        "migration_mode": "live",
        "migration_port": 8082,
        "reboot_behavior": "reboot",
        "root_path": "/dev/xvda1",
        "soundhw": "",
        "use_bootloader": false,
        "vif_script": "",
        "xen_cmd": "xl"
      }
    },
    "install_image": "",
    "instance_communication_network": "",
    "ipolicy": {
      "disk-templates": [
        "drbd",
        "plain",
        "sharedfile",
        "file"
      ],
      "minmax": [
        {
          "max": {
            "cpu-count": 8,
            "disk-count": 16,
            "disk-size": 1048576,
            "memory-size": 32768,
            "nic-count": 8,
            "spindle-use": 12
          },
          "min": {
            "cpu-count": 1,
            "disk-count": 1,
            "disk-size": 1024,
            "memory-size": 128,
            "nic-count": 1,
            "spindle-use": 1
          }
        }
      ],
      "spindle-ratio": 32.0,
      "std": {
        "cpu-count": 1,
        "disk-count": 1,
        "disk-size": 1024,
        "memory-size": 128,
        "nic-count": 1,
        "spindle-use": 1
      },
      "vcpu-ratio": 1.0
    },
    "maintain_node_health": false,
    "master_netdev": "eth0",
    "master_netmask": 32,
    "max_running_jobs": 20,
    "max_tracked_jobs": 25,
    "modify_etc_hosts": true,
    "modify_ssh_setup": true,
    "ndparams": {
      "cpu_speed": 1.0,
      "exclusive_storage": false,
      "oob_program": "",
      "ovs": false,
      "ovs_link": "",
      "ovs_name": "switch1",
      "spindle_count": 1,
      "ssh_port": 22
    },
    "nicparams": {
      "default": {
        "link": "br974",
        "mode": "bridged",
        "vlan": ""
      }
    },
    "os_hvp": {
      "TEMP-Ganeti-QA-OS": {
        "xen-hvm": {
          "acpi": false,
          "pae": true
        },
        "xen-pvm": {
          "root_path": "/dev/sda5"
        }
      }
    },
    "osparams": {},
    "osparams_private_cluster": {},
    "prealloc_wipe_disks": false,
    "primary_ip_family": 2,
    "reserved_lvs": [],
    "rsahostkeypub": "YOURKEY",
    "shared_file_storage_dir": "/srv/ganeti/shared-file-storage",
    "ssh_key_bits": 2048,
    "ssh_key_type": "rsa",
    "tags": [
      "mytag"
    ],
    "uid_pool": [],
    "use_external_mip_script": false,
    "volume_group_name": "xenvg",
    "zeroing_image": ""
  };
}
