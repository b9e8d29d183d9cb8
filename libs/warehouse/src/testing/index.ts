// Test support for specs that run SQL as the executor role (import as `@t2s/warehouse/testing`).
export { createTestExecutorRole, type TestExecutorRole } from './test-executor-role';
