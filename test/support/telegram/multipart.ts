// Reads the multipart/form-data bodies grammY sends when a call carries a file (sendDocument):
// plain fields become params (JSON-looking values parsed, as the Bot API does), file parts are
// kept by their field name so `attach://<name>` references resolve.

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

export interface MultipartBody {
  fields: Record<string, unknown>;
  files: Record<string, UploadedFile>;
}

/** Fields whose values stay strings even when they look like JSON (message texts). */
const TEXT_FIELDS = new Set(['text', 'caption', 'description', 'data', 'query']);

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const fields: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part is "\r\n<headers>\r\n\r\n<content>\r\n" between two delimiters.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) {
      const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
      if (filename !== undefined) files[name] = { filename, content: Buffer.from(content) };
      else fields[name] = fieldValue(name, content.toString('utf8'));
    }
    start = next;
  }
  return { fields, files };
}

function fieldValue(name: string, raw: string): unknown {
  if (TEXT_FIELDS.has(name)) return raw;
  if (/^[[{]|^-?\d+$|^(true|false)$/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}
