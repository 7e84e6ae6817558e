const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$.items[0].price` style path of a property below `parent`. */
export function childPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
