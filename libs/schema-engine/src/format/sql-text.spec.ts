import { sqlFragmentProblem } from './sql-text';

describe('sqlFragmentProblem (lexical guard for SQL fragments)', () => {
  it.each([
    'price > 0',
    "name <> 'a;b'",
    "'it''s; fine'",
    "E'it\\'s; fine'",
    '$$; inside$$',
    '$tag$ $$ ; $tag$',
    'a$b + 1',
    'f($1)',
    '"semi;colon" IS NOT NULL',
    '"a""b" > 0',
    'ARRAY[1, 2][1]',
    "(a - -1) * 2",
    'character varying(20)[]',
  ])('accepts %s', (fragment) => {
    expect(sqlFragmentProblem(fragment)).toBeNull();
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['1; DROP TABLE users', 'must not contain ";"'],
    ["'a'; DROP TABLE users", 'must not contain ";"'],
    ["E'\\''; DROP TABLE users; --'", 'must not contain ";"'],
    ['1 -- trailing comment', 'comments'],
    ['1 /* block */', 'comments'],
    ["'unterminated", 'unterminated string'],
    ['"unterminated', 'unterminated quoted identifier'],
    ['$$ never closed', 'unterminated dollar-quoted'],
    ['(1', 'unclosed "("'],
    ['1)', 'unbalanced ")"'],
    ['(1]', 'unbalanced "]"'],
    ['a\0b', 'NUL'],
  ])('refuses %j (%s)', (fragment, why) => {
    expect(sqlFragmentProblem(fragment)).toContain(why);
  });
});
