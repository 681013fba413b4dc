import { Fragment } from 'react';

/** A catalog sentence with its `backticked` commands shown as code (the catalog's one markup). */
export function InlineCode({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>))}</>;
}

/** The steps of a diagnosis, in order. */
export function Remedy({ steps }: { steps: string[] }) {
  return (
    <ol className="remedy">
      {steps.map((step, i) => (
        <li key={i}>
          <InlineCode text={step} />
        </li>
      ))}
    </ol>
  );
}
