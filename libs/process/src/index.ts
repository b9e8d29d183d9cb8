// The public API of @t2s/process: starting the service's own entries as child processes (`t2s up`, the
// end-to-end specs) and waiting on them without sleeps.

export {
  REPO_ROOT,
  NODE_FLAGS,
  startTsProcess,
  startProcess,
  waitForOutput,
  exitWithin,
  stopService,
  type ChildService,
  type Exit,
  type StartOptions,
} from './child-service';
export { freePort } from './free-port';
