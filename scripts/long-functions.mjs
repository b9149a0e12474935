// Lists functions over 60 lines or with more than 4 positional parameters (issue 12's bar for units).
// Usage: node scripts/long-functions.mjs $(git ls-files 'packages/*/src/*.ts' 'packages/*/src/**/*.ts')
import { readFileSync } from 'node:fs';
import ts from 'typescript';

let found = 0;
for (const file of process.argv.slice(2)) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
      if (lines > 60 || node.parameters.length > 4) {
        found++;
        console.log(`${file}:${first + 1} ${node.name?.getText(source) ?? '(anonymous)'} lines=${lines} params=${node.parameters.length}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
console.log(`${found} function(s) over 60 lines or 4 positional parameters`);
