// Runs one benchmark and sends its result to the parent: node run-one.mjs NAME [--quick]
const [name, flag] = process.argv.slice(2);
const { run } = await import(`./${name}.mjs`);
process.send?.(await run({ quick: flag === "--quick" }));
process.disconnect();
