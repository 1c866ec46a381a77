// A stand-in for the model host of llama.cpp's list: serves a file at the list's path for SmolLM2
// 135M, as Hugging Face does (with CORS), and records every request. It can also misbehave as a
// broken host does: serve only the first bytes of the file (announcing only those), or announce the
// whole file and close the connection part-way.
import { createServer, type Server } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface HostOptions {
  bytes?: number; // serve only this many bytes of the file, with a Content-Length that says so
  breakAfter?: number; // announce the whole file, send this many bytes, then drop the connection
}

export async function standInHost(file: string, opts: HostOptions = {}): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const size = statSync(file).size;
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (!req.url?.endsWith('/resolve/main/SmolLM2-135M.Q4_0.gguf')) {
      res.writeHead(404, { 'Access-Control-Allow-Origin': '*' }).end('not found');
      return;
    }
    const sent = opts.breakAfter ?? opts.bytes ?? size;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(opts.bytes ?? size), 'Access-Control-Allow-Origin': '*' });
    const body = createReadStream(file, { end: sent - 1 });
    body.pipe(res, { end: opts.breakAfter === undefined });
    if (opts.breakAfter !== undefined) body.on('end', () => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
