// Import: a file's text → a table (parse) → a dataset (mapping). See each file for its part.

export { applyMapping, defaultDescriptions, previewText, type DatasetMeta, type MappedDataset } from './apply';
export { DelimitedParser, parseDelimited } from './delimited';
export { JsonlParser, parseJson, parseJsonl } from './json';
export { guessMapping, isPaperLayout, paperMapping, validateMapping, type FieldMapping, type KeyRule, type MappingErrors, type MappingGuess } from './mapping';
export { formatFromName, parseChunks, parseText, sniffFormat } from './parse';
export { fail, rowName, type Cell, type ImportError, type ImportFormat, type Result, type Table } from './table';
export { comparisonKey, normaliseClaim, parseGold } from './values';
