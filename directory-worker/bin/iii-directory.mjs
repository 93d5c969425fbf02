#!/usr/bin/env node
// The `iii-directory` command: runs the TypeScript entry through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
