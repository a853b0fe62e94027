/** `accounts` means `public.accounts` (ARCHITECTURE.md spec tables); the plan always names both parts. */
export function qualifiedTable(name: string, schema = 'public'): string {
  return name.includes('.') ? name : `${schema}.${name}`;
}

export function splitTable(qualified: string): { schema: string; table: string } {
  const dot = qualified.indexOf('.');
  return dot < 0 ? { schema: 'public', table: qualified } : { schema: qualified.slice(0, dot), table: qualified.slice(dot + 1) };
}
