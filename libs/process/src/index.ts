// The public API of @t2s/process: starting the service's own entries as child processes (`t2s up`, the
// end-to-end specs), waiting on them without sleeps, and keeping them running (restart with backoff).

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
export {
  RestartPolicy,
  DEFAULT_RESTART_POLICY,
  EXIT_CONFIG,
  describeExit,
  type RestartDecision,
  type RestartPolicyOptions,
} from './restart-policy';
export {
  ProcessSupervisor,
  SupervisorFailedError,
  lastMessage,
  type SupervisedProcess,
  type SupervisorFailure,
  type SupervisorHooks,
} from './process-supervisor';
