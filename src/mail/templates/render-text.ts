import type { AppInfo, Block, MailContent } from './content';

/** The text/plain part: readable as is, links on their own line. */
export function renderText(content: MailContent, app: AppInfo): string {
  const body = content.blocks.map(blockText).join('\n\n');
  return `${app.appName}\n\n${body}\n\n-- \n${app.appName} · ${app.publicUrl}\n`;
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      return block.text;
    case 'code':
      return `    ${block.code}`;
    case 'link':
      // The label is button text; in plain text the sentence before it says what the link does.
      return block.href;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
  }
}
