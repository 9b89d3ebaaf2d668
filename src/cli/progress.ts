// Progress of a long import on the terminal: percentage of bytes, rows and rows per second.
export function progressReporter(label: string, write: (s: string) => void, isTty = !!process.stderr.isTTY) {
  const t0 = performance.now();
  let shown = false;
  let last = 0;
  return {
    update: (p: { rows: number; bytesRead: number; totalBytes: number }) => {
      const now = performance.now();
      if (!isTty || now - last < 200) return;
      last = now;
      shown = true;
      const pct = p.totalBytes ? Math.min(100, (100 * p.bytesRead) / p.totalBytes) : 0;
      const rate = p.rows / ((now - t0) / 1000);
      const fmt = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 });
      write(
        `\r${label}: ${pct.toFixed(1).replace('.', ',')} % · ${fmt.format(p.rows)} Zeilen · ${fmt.format(rate)} Zeilen/s   `,
      );
    },
    done: () => {
      if (shown) write('\n');
    },
  };
}
