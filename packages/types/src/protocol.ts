// The runtime half of the package: protocol facts generated from the spec, and the one reading of
// Sentry's headers. Separate from the types-only entry point, so importing types costs nothing.
export * from "./generated/protocol.js";
export * from "./headers.js";
export * from "./token-pattern.js";
