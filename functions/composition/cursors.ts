import { cursorSection } from '../config/cursor-section.ts';
import { createCursorCodec } from '../discovery/list-cursor.ts';
import { part, sectionPart } from './container.ts';

export const cursorOptions = sectionPart(cursorSection);

export const cursorCodec = part(async (container) => createCursorCodec((await cursorOptions(container)).secret));
