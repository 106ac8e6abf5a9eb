// Sums JUnit XML reports (Deno's and pytest's) plus extra pass/fail counts into the one closing line CI
// reads: "N passed, N failed, N skipped". Usage: deno run -A scripts/junit-summary.ts [--extra P:F] files...

let passed = 0, failed = 0, skipped = 0;
const args = [...Deno.args];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--extra") {
    const [p, f] = args[++i].split(":").map(Number);
    passed += p;
    failed += f;
    continue;
  }
  let xml: string;
  try {
    xml = await Deno.readTextFile(args[i]);
  } catch {
    console.error(`missing report ${args[i]}: counted as one failure`);
    failed++;
    continue;
  }
  // Each <testcase ...>...</testcase> or self-closing <testcase .../>.
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  for (const c of cases) {
    if (/<(failure|error)\b/.test(c)) failed++;
    else if (/<skipped\b/.test(c)) skipped++;
    else passed++;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
Deno.exit(failed > 0 ? 1 : 0);
