/** Picks a dollar-quote tag that does not occur in `body`, so the body can never close the quote early. */
export function dollarQuote(body: string): string {
  let tag = '$bascule$';
  for (let n = 1; body.includes(tag); n += 1) tag = `$bascule${n}$`;
  return `${tag}${body}${tag}`;
}
