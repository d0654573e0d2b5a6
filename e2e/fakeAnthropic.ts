/// Where the e2e suite's fake Anthropic Messages API listens (server/test-support/fake-anthropic.mjs, started by
/// playwright.config.ts as its first webServer, and scripted by specs over HTTP at `/_fake/*`): the port after the
/// server's, unless E2E_FAKE_ANTHROPIC_PORT says otherwise. A module of its own, so specs import it without the config
/// (importing the config makes a data folder).
const serverPort = Number(process.env.E2E_PORT ?? 4317)
export const FAKE_ANTHROPIC_PORT = Number(process.env.E2E_FAKE_ANTHROPIC_PORT ?? serverPort + 1)
export const FAKE_ANTHROPIC_URL = `http://127.0.0.1:${FAKE_ANTHROPIC_PORT}`
/// The key the server is given; the fake accepts only it (a dummy: the real API is never reached).
export const FAKE_ANTHROPIC_KEY = 'sk-ant-e2e-dummy-key'
