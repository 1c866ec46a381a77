// Offers a file the worker built as a download: a Blob URL on a temporary link, revoked once
// the browser has taken it. Nothing leaves the machine; the file goes to the Downloads folder.
import type { ExportFile } from '../../lib/protocol';

export function download(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
