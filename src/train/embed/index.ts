// Public API of sentence embeddings: batched encoding, 2-d maps, neighbour search, file writers.
export { embedTexts, loadEmbedder, type EmbedOptions, type LoadedEmbedder, type Pooling } from './embed';
export { pca, pca2d, symmetricEigen, type PcaOptions, type PcaResult } from './pca';
export { cosineSimilarity, topKSimilar, row, type Neighbour } from './similarity';
export { toNpy, toCsv, npyHeader, formatFloat32 } from './npy';
