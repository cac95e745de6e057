#!/usr/bin/env node
// Committed (unlike dist/) so that npm can link the command before the package is built.
import "../dist/cli.js";
