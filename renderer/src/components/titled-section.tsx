// A view's section: a heading that names it (for screen readers and the keyboard), an optional
// introduction, then its content; and a titled list that says so in words when it is empty.
import type { ReactNode, Ref } from 'react';

export interface TitledSectionProps {
  /** The heading's id: the section is labelled by it. */
  id: string;
  className?: string;
  title: ReactNode;
  /** 2: a view's section (`section-title`); 3: a part of one (`subsection-title`). */
  level?: 2 | 3;
  intro?: ReactNode;
  /** Focus lands on the heading when the view opens. */
  headingRef?: Ref<HTMLHeadingElement>;
  focusable?: boolean;
  children?: ReactNode;
}

export function TitledSection({ id, className, title, level = 2, intro, headingRef, focusable, children }: TitledSectionProps) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={className} aria-labelledby={id}>
      <Heading id={id} className={level === 2 ? 'section-title' : 'subsection-title'} ref={headingRef} tabIndex={focusable ? -1 : undefined}>
        {title}
      </Heading>
      {intro !== undefined && <p className="section-intro">{intro}</p>}
      {children}
    </section>
  );
}

export interface ListSectionProps<T> extends Omit<TitledSectionProps, 'children'> {
  items: readonly T[];
  /** Said instead of the list when there is nothing to show. */
  empty: ReactNode;
  listClassName: string;
  renderItem(item: T): ReactNode;
}

export function ListSection<T>({ items, empty, listClassName, renderItem, ...section }: ListSectionProps<T>) {
  return (
    <TitledSection {...section}>
      {items.length === 0 ? <p className="recent-empty">{empty}</p> : <ul className={listClassName}>{items.map(renderItem)}</ul>}
    </TitledSection>
  );
}
