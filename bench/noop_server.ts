// A server that reads each request and answers "{}": what the load client reaches when the server
// costs ~nothing. Started by calibrate.ts as its own process, like the servers under test.
const port = Number(Deno.args[0]);
Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, async (req) => {
  await req.arrayBuffer();
  return new Response(req.url.endsWith("/health") ? "OK" : "{}", {
    headers: { "content-type": "application/json" },
  });
});
