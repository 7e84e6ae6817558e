export { generateOlistDataset } from './generate-olist-dataset';
export type {
  GenerateOlistDatasetOptions,
  GeneratedFile,
  GenerationProgress,
  GenerationQuirks,
  GenerationReport,
  GenerationStage,
} from './generate-olist-dataset';
export { datasetSize, FULL_SIZE } from './dataset-size';
export type { DatasetSize } from './dataset-size';
export { headerLine, OLIST_FILES } from './olist-files';
export type { OlistFileFormat, OlistTable } from './olist-files';
