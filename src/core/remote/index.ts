/** Public API of the remote layer. */
export * from './errors';
export * from './secret';
export * from './quote';
export * from './names';
export * from './known-hosts';
export * from './ssh-config';
export * from './transcript';
export * from './host-connection';
export * from './transport';
export * from './command';
export * from './runner';
export * from './scripted-runner';
export * from './run-lock';
export * as ganeti from './commands';
