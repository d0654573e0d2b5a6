/// Slipway's local runtime agent as a library: `startAgent()` runs it in this process (tests, benches, embedding);
/// the `slipway-runtime` command (src/main.ts) is the same agent behind a command line.
export { startAgent, MAX_FRAME_BYTES, type RunningAgent, type StartAgentOptions } from './agent.ts'
export { createToken, DEFAULT_PORT, parseOptions, USAGE, type AgentOptions, type ParsedOptions, type TokenSource } from './options.ts'
