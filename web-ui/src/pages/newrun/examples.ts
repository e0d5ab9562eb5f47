// Example specs from docs/run-spec.md.

export interface Example {
  title: string;
  yaml: string;
}

export const EXAMPLES: Example[] = [
  {
    title: 'A first spec (MLP on Fashion-MNIST)',
    yaml: `name: fashion-mnist mlp
seed: 42
dataset:
  name: fashion-mnist
  trainSubset: 2000        # a seeded random subset, for a fast run
  testSubset: 1000
model:
  builtin: mlp             # Flatten, Linear(784, 256), ReLU, Linear(256, 10)
optimizer:
  type: adam
  lr: 0.001
batchSize: 64
epochs: 2
`,
  },
  {
    title: 'A fuller one (the reference CNN)',
    yaml: `name: fashion-mnist cnn
seed: 7
dataset:
  name: fashion-mnist
  validationSplit: 0.1          # 10% of the training images held out as val/
  normalize: {mean: [0.2860], std: [0.3530]}
  augment: {randomCropPadding: 2, horizontalFlip: 0.5}
model:
  builtin: cnn                  # the reference CNN: 225,034 parameters
  args: {dropout: 0.25}
loss: {type: cross_entropy, labelSmoothing: 0.1}
optimizer: {type: adamw, lr: 0.002, weightDecay: 0.05}
scheduler: {type: onecycle}     # peak lr = the optimizer's, over the whole run
batchSize: 128
epochs: 15
metrics:
  - accuracy
  - top3_accuracy
  - f1_macro
  - {type: precision, average: weighted}
  - auroc
evaluation: {everyEpochs: 1, splits: [validation, test]}
logging: {everySteps: 100}
checkpoint:
  everyEpochs: 1
  keepLast: 2
  keepBest: {metric: val/accuracy}          # mode max, from the name
earlyStopping: {metric: val/loss, patience: 3, minDelta: 0.001}
gradClip: {maxNorm: 5.0}
`,
  },
  {
    title: 'A small convnet from layers',
    yaml: `name: small convnet
dataset: {name: mnist, trainSubset: 10000}
model:
  layers:
    - {type: conv2d, outChannels: 16, kernelSize: 3, padding: same}
    - batchnorm2d
    - relu
    - {type: maxpool2d, kernelSize: 2}
    - {type: conv2d, outChannels: 32, kernelSize: 3, padding: 1}
    - {type: groupnorm, numGroups: 4}
    - gelu
    - {type: adaptiveavgpool2d, outputSize: 1}
    - flatten
    - {type: dropout, p: 0.2}
    - {type: linear, outFeatures: 10}
optimizer: {type: sgd, lr: 0.05, momentum: 0.9, nesterov: true}
scheduler: {type: multistep, milestones: [4, 8], gamma: 0.2}
epochs: 10
`,
  },
  {
    title: 'A tiny transformer over image rows',
    yaml: `name: tiny transformer
dataset: {name: fashion-mnist, trainSubset: 5000, testSubset: 1000}
model:
  layers:
    - {type: flatten, startDim: 1, endDim: 2}       # [N, 28, 28]
    - {type: linear, outFeatures: 32}               # embed each row: [N, 28, 32]
    - {type: transformerencoderlayer, nhead: 4, dimFeedforward: 64, dropout: 0.1, numLayers: 2}
    - {type: mean, dim: 1}                          # [N, 32]
    - {type: linear, outFeatures: 10}
optimizer: {type: adamw, lr: 0.001}
scheduler: {type: cosine, interval: step}
epochs: 3
`,
  },
];
