import type { ReactNode } from 'react';

/** A cell with a class of its own (prompt text wraps, times do not). */
export interface StyledCell {
  className: string;
  content: ReactNode;
}
export const styled = (className: string, content: ReactNode): StyledCell => ({ className, content });

function isStyled(c: ReactNode | StyledCell): c is StyledCell {
  return typeof c === 'object' && c !== null && 'className' in c && 'content' in c;
}

/** The workspace's tables: a header, one row per item, and what to say when there are none. */
export function Table<T>(props: { head?: string[]; rows: readonly T[]; rowKey(row: T): string; cells(row: T): (ReactNode | StyledCell)[]; className?: string; empty?: string }) {
  if (!props.rows.length && props.empty) return <p className="muted">{props.empty}</p>;
  return (
    <table className={props.className}>
      {props.head && (
        <thead>
          <tr>
            {props.head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)}>
            {props.cells(row).map((c, i) => (isStyled(c) ? <td key={i} className={c.className}>{c.content}</td> : <td key={i}>{c}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
