// Mutation runs only (vitest.mutation.ts): each test file imports the sources afresh, as with isolation
// on, while sharing one worker. Without this, a module-level cache filled in an earlier mutant's run
// (the validator's compiled spec) hides the mutant under test, which then "survives".
import { vi } from "vitest";

vi.resetModules();
