import { requestSection } from '../config/request-section.ts';
import { sectionPart } from './container.ts';

/** The request limits (MAX_BODY_BYTES), the host policy's settings and the schema-discovery budget. */
export const requestOptions = sectionPart(requestSection);
