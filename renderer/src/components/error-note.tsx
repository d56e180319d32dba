// Why an action did not happen, announced as it appears (role="alert"); nothing when there is no error.
import type { ReactNode } from 'react';

export function ErrorNote({ children }: { children: ReactNode }) {
  if (children === undefined || children === null || children === false || children === '') return null;
  return (
    <p className="card-error callout" role="alert">
      {children}
    </p>
  );
}
