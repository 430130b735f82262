// A YAML "billion laughs" for tests of the alias limits: nine levels of nine aliases, each naming the
// level before, so the last line alone stands for 9^9 strings once expanded.

export function billionLaughs(): string {
  const names = 'abcdefghi';
  const level = (i: number) =>
    Array<string>(9)
      .fill(i === 0 ? '"lol"' : `*${names[i - 1]}`)
      .join(', ');
  return [...names].map((name, i) => `${name}: &${name} [${level(i)}]\n`).join('');
}
