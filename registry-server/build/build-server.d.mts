export interface BuildSpec {
  /** Absolute folder the other paths are relative to. */
  root: string;
  /** The entry module, e.g. registry-server/src/main.ts. */
  entry: string;
  /** Files and folders whose bytes decide whether a build is current. */
  inputs: string[];
  /** Where builds go, one folder per inputs hash. */
  outRoot: string;
}

export interface Built {
  /** Absolute path of the bundled entry. */
  main: string;
  hash: string;
  /** False when a build for these inputs already existed. */
  built: boolean;
}

export const SERVER_BUILD: BuildSpec;
export function inputsHash(root: string, inputs: string[]): string;
export function ensureBuilt(spec: BuildSpec): Promise<Built>;
