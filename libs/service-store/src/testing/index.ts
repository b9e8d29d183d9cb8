// Test support for this lib and the ones built on it (not part of the runtime API: import it from specs
// and fixtures only, as `@t2s/service-store/testing`).
export { openTestStore, segmentRequest, type TestStore } from '../store.fixture';
