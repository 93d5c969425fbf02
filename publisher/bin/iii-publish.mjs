#!/usr/bin/env node
// The published entry: tsx compiles the TypeScript sources on the fly, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
