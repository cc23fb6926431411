/**
 * A response body read whole, but never past `maxBytes`: once the chunks read go over it, the rest is
 * cancelled unread and `tooLarge()` is thrown (a server's Content-Length is not trusted for this). Each
 * caller names its own error and decodes the bytes as its format wants.
 */
export async function readBoundedBody(response: Response, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}
