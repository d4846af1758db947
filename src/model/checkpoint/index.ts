// Public API of the checkpoint readers/writers: plain typed arrays in, plain typed arrays out (no
// tfjs). The Node folder source is not exported here (it imports node:fs): import
// './checkpoint/nodeSource' directly where Node is available.
export { CheckpointError, type DType, type RawTensor, type WeightMap } from './types';
export {
  readSafetensors,
  readSafetensorsFile,
  writeSafetensors,
  type SafetensorsFile,
  type WriteSafetensorsOptions,
} from './safetensors';
export { readPytorchBin } from './pytorch';
export { normalizeNames, stripPrefix, addPrefix, type RenameReport } from './names';
export { loadCheckpoint, loadSharded, CHECKPOINT_FILES, type CheckpointFormat, type LoadedCheckpoint } from './load';
export {
  readTfjsModel,
  writeTfjsModel,
  type TfjsModelFiles,
  type TfjsModelJson,
  type TfjsManifestGroup,
  type TfjsWeightSpec,
  type TfjsWriteOptions,
} from './tfjs';
export {
  fileListSource,
  memorySource,
  makeSource,
  urlSource,
  stripCommonTop,
  checkRelativePath,
  type FileSource,
  type PickedFile,
  type UrlSourceOptions,
} from './sources';
export { zipSource, writeZip, type WriteZipOptions } from './zipFiles';
export { ZipReader, crc32, type ZipLimits, type ZipEntry } from './zip';
