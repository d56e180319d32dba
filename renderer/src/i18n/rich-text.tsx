// A message whose placeholders are elements (a <code> name, agent text in <SafeText>): the
// translation decides where they go, React renders each piece as text or element, never as HTML.
import { Fragment, type ReactNode } from 'react';

export function richText(template: string, parts: Readonly<Record<string, ReactNode>>): ReactNode {
  return template.split(/(\{\w+\})/).map((piece, i) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    return <Fragment key={i}>{name !== undefined && name in parts ? parts[name] : piece}</Fragment>;
  });
}
