// Renders every formula given as a JSON list on stdin with KaTeX (throwOnError), printing
// one JSON line per formula: {"ok": true} or {"ok": false, "error": "..."}.
const katex = require(process.env.DERIVE_KATEX);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  for (const formula of JSON.parse(input)) {
    try {
      katex.renderToString(formula, { displayMode: true, throwOnError: true });
      console.log(JSON.stringify({ ok: true }));
    } catch (error) {
      console.log(JSON.stringify({ ok: false, error: String(error.message) }));
    }
  }
});
