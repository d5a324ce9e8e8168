#!/usr/bin/env node
// Time Z-Wave JS's own driver (from the zjs-mock's npm install) to "all nodes ready" against
// a mock controller on tcp://127.0.0.1:PORT; prints one JSON line.  Used by bench/interop.py
// as the reference: node bench/zjs_driver_ready.cjs PORT NODE_MODULES_DIR CACHE_DIR
"use strict";
const path = require("node:path");
const [port, modules, cacheDir] = process.argv.slice(2);
const { createRequire } = require("node:module");
const { Driver } = createRequire(path.join(modules, "..", "package.json"))("zwave-js");

const started = Date.now();
const driver = new Driver(`tcp://127.0.0.1:${port}`, {
	logConfig: { enabled: false },
	storage: { cacheDir, lockDir: cacheDir },
	features: { softReset: false },
	emitValueUpdateAfterSetValue: false,
});
let done = false;
function finish(result) {
	if (done) return;
	done = true;
	console.log(JSON.stringify(result));
	driver.destroy().finally(() => process.exit(result.error ? 1 : 0));
}
driver.on("error", (err) => finish({ error: String(err) }));
driver.once("driver ready", () => {
	const readyAt = Date.now();
	driver.once("all nodes ready", () => {
		const nodes = [...driver.controller.nodes.values()].map((n) => ({ id: n.id, ready: n.ready }));
		finish({ seconds: (Date.now() - started) / 1000, driver_ready: (readyAt - started) / 1000, nodes });
	});
});
setTimeout(() => finish({ error: "timeout" }), 120000);
driver.start().catch((err) => finish({ error: String(err) }));
