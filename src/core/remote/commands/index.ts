/** The typed Ganeti commands, registered in one place. */
export * from './cluster-version';
export * from './cluster-info';
export * from './master-node';
export * from './node-list';
export * from './instance-list';
export * from './group-list';
export * from './network-list';
export * from './watcher';
export * from './instance-power';
export * from './daemon-util';
export * from './cluster-admin';
export * from './cluster-verify';
export * from './files';
export * from './authorized-keys';
export * from './snapshot';
export * from './merge-lock';
