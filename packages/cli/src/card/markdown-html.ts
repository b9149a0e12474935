import { escapeHtml } from '../report/svg-chart.js';

/** Inline Markdown the card uses: `code`, **bold**, _emphasis_; everything else escaped. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;])/g, '$1<em>$2</em>');
}

/** The cells of a Markdown table row (`| a | b |`), with `\|` kept as a pipe. */
function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

function tableHtml(lines: readonly string[]): string {
  const [head, , ...rows] = lines;
  const th = tableCells(head!).map((c) => `<th>${inline(c)}</th>`);
  const trs = rows.map(
    (r) =>
      `<tr>${tableCells(r)
        .map((c) => `<td>${inline(c)}</td>`)
        .join('')}</tr>`,
  );
  return `<table><thead><tr>${th.join('')}</tr></thead><tbody>${trs.join('')}</tbody></table>`;
}

/** A nested bullet list (two spaces of indent a level) as <ul>. */
function listHtml(lines: readonly string[]): string {
  let html = '';
  let depth = -1;
  for (const line of lines) {
    const level = Math.floor((line.length - line.trimStart().length) / 2);
    const text = line.trimStart().replace(/^- /, '');
    if (level > depth) html += '<ul>'.repeat(level - depth);
    else html += `</li>${'</ul></li>'.repeat(depth - level)}`;
    depth = level;
    html += `<li>${inline(text)}`;
  }
  return `${html}</li>${'</ul></li>'.repeat(depth)}</ul>`;
}

/**
 * The Markdown cardMarkdown writes (headings, tables, bullet lists, paragraphs) as HTML; `hook`
 * may add content after a heading (charts after "Metrics").
 */
export function markdownToHtml(markdown: string, hook: (heading: string) => string = () => ''): string {
  const blocks = markdown.split(/\n\s*\n/);
  return blocks
    .map((block) => {
      const lines = block.split('\n').filter((l) => l.trim() !== '');
      if (lines.length === 0) return '';
      const heading = /^(#{1,6}) (.*)$/.exec(lines[0]!);
      if (heading && lines.length === 1) {
        const level = heading[1]!.length;
        return `<h${level}>${inline(heading[2]!)}</h${level}>${hook(heading[2]!)}`;
      }
      if (lines.every((l) => l.trim().startsWith('|'))) return tableHtml(lines);
      if (lines.every((l) => /^\s*- /.test(l) || /^\s+/.test(l))) return listHtml(lines.filter((l) => /^\s*- /.test(l)));
      return `<p>${lines.map(inline).join('<br>')}</p>`;
    })
    .join('\n');
}
