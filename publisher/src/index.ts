export { run, HELP } from './cli';
export { EXIT, CliError } from './errors';
export { RegistryClient, errorFromResponse } from './client';
export { collectProject } from './collect';
export { captureInterface } from './capture/index';
export { captureFromWorker } from './capture/run-worker';
export { packBundle, listBundleFiles } from './pack/pack';
