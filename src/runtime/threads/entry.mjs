// Worker threads do not inherit the tsx loader of the main thread; register it before loading the
// TypeScript thread body.
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
