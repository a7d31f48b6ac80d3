import type { AppInfo, Block, MailContent } from './content';

/**
 * The text/html part. Inline styles only: no remote images, stylesheets or fonts, which
 * mail clients block and which would tell a tracker when the mail was opened.
 */
export function renderHtml(content: MailContent, app: AppInfo): string {
  const body = content.blocks.map(blockHtml).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;color:#18181b;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<h1 style="margin:0 0 24px;font-size:20px">${escapeHtml(app.appName)}</h1>
${body}
<p style="margin:32px 0 0;padding-top:16px;border-top:1px solid #e4e4e7;font-size:12px;color:#71717a">${escapeHtml(app.appName)} · <a href="${escapeHtml(app.publicUrl)}" style="color:#71717a">${escapeHtml(app.publicUrl)}</a></p>
</div>
</body>
</html>
`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px">${escapeHtml(block.text)}</p>`;
    case 'note':
      return `<p style="margin:0 0 16px;font-size:13px;color:#52525b">${escapeHtml(block.text)}</p>`;
    case 'code':
      return `<p style="margin:0 0 16px;font-size:28px;font-weight:bold;letter-spacing:6px;font-family:Menlo,Consolas,monospace">${escapeHtml(block.code)}</p>`;
    case 'link':
      return linkHtml(block.href, block.label);
    case 'facts':
      return factsHtml(block.rows);
  }
}

function linkHtml(href: string, label: string): string {
  const url = escapeHtml(href);
  return `<p style="margin:0 0 16px"><a href="${url}" style="display:inline-block;padding:10px 18px;background:#18181b;color:#ffffff;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52525b;word-break:break-all">${url}</p>`;
}

function factsHtml(rows: [string, string][]): string {
  const cells = rows.map(
    ([label, value]) =>
      `<tr><td style="padding:2px 12px 2px 0;color:#52525b">${escapeHtml(label)}</td><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`,
  );
  return `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">${cells.join('')}</table>`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}
