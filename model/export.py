#!/usr/bin/python3
"""Write (and read back) a translator in the format the engine's attn.loadModel() reads.

The format is a .safetensors file (https://huggingface.co/docs/safetensors): 8 bytes of header
length (unsigned, little-endian), a JSON header, then the raw little-endian tensor data. Debian has
no safetensors package, so both directions are written out here (about 60 lines).

The header holds one entry per tensor, {"dtype": "F32" | "F16", "shape": [...],
"data_offsets": [begin, end]} (offsets into the data that follows the header), and
"__metadata__": {"config": "<JSON>"}. The tensors:

    src_embed.weight [Vs, D]     tgt_embed.weight [Vt, D]
    generator.weight [Vt, D]     generator.bias [Vt]
    transformer.<key>            every key of the state_dict() of
                                 torch.nn.Transformer(D, nhead, enc, dec, dim_feedforward,
                                 dropout=0.0, activation, batch_first=True, norm_first,
                                 layer_norm_eps)

and the config: {d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward,
activation: 'relu' | 'gelu', norm_first, layer_norm_eps, src_vocab: [...], tgt_vocab: [...],
pad, bos, eos} (pad is id 0 in both vocabularies; bos and eos are target ids).

The forward pass the file means (Translator.forward below, and the engine's):
    x = src_embed[src] * sqrt(D) + PE,  y = tgt_embed[tgt] * sqrt(D) + PE
    out = transformer(x, y, tgt_mask = causal, src_key_padding_mask = memory_key_padding_mask
                      = (src == pad))
    logits = out @ generator.weight.T + generator.bias
with PE[p, 2i] = sin(p / 10000^(2i/D)), PE[p, 2i+1] = cos(p / 10000^(2i/D)).

Use from Python (your own model):

    import sys; sys.path.insert(0, 'model')
    from export import Translator, save
    model = Translator(config)          # or your own module with the same four parts
    ... train ...
    save('my-model.safetensors', model, config)

and to see what a file holds: /usr/bin/python3 model/export.py my-model.safetensors
"""
import json
import math
import struct

import numpy as np
import torch
from torch import nn

CONFIG_KEYS = ('d_model', 'nhead', 'num_encoder_layers', 'num_decoder_layers', 'dim_feedforward',
               'activation', 'norm_first', 'layer_norm_eps', 'src_vocab', 'tgt_vocab', 'pad',
               'bos', 'eos')


def positional_encoding(length, dim):
    """The engine's sinusoidal encoding [length, dim] (native/src/positional.cpp), in float64."""
    pe = np.zeros((length, dim))
    for p in range(length):
        for c in range(dim):
            angle = p / math.pow(10000.0, (c - c % 2) / dim)
            pe[p, c] = math.sin(angle) if c % 2 == 0 else math.cos(angle)
    return torch.tensor(pe, dtype=torch.float32)


class Translator(nn.Module):
    """Embeddings + positional encoding, torch.nn.Transformer, and the generator: the module a file
    of this format holds."""

    def __init__(self, config):
        super().__init__()
        c = config
        self.config = dict(c)
        self.src_embed = nn.Embedding(len(c['src_vocab']), c['d_model'])
        self.tgt_embed = nn.Embedding(len(c['tgt_vocab']), c['d_model'])
        self.transformer = nn.Transformer(
            c['d_model'], c['nhead'], c['num_encoder_layers'], c['num_decoder_layers'],
            c['dim_feedforward'], dropout=0.0, activation=c['activation'], batch_first=True,
            norm_first=c['norm_first'], layer_norm_eps=c['layer_norm_eps'])
        self.generator = nn.Linear(c['d_model'], len(c['tgt_vocab']))
        self.register_buffer('pe', positional_encoding(512, c['d_model']), persistent=False)

    def embed(self, src, tgt):
        scale = math.sqrt(self.config['d_model'])
        x = self.src_embed(src) * scale + self.pe[:src.shape[-1]]
        y = self.tgt_embed(tgt) * scale + self.pe[:tgt.shape[-1]]
        return x, y

    def masks(self, src, tgt):
        causal = self.transformer.generate_square_subsequent_mask(tgt.shape[-1])
        return causal, src == self.config['pad']

    def forward(self, src, tgt):
        """src [B, S], tgt [B, T] int64 -> logits [B, T, Vt]."""
        x, y = self.embed(src, tgt)
        causal, padding = self.masks(src, tgt)
        causal = causal.to(x.dtype)  # float64 references run the module in double
        out = self.transformer(x, y, tgt_mask=causal, src_key_padding_mask=padding,
                               memory_key_padding_mask=padding)
        return self.generator(out)

    @torch.no_grad()
    def greedy(self, src, max_length):
        """Greedy decoding of one sentence src [S] from bos; stops after eos. Returns the ids
        (bos first)."""
        ids = [self.config['bos']]
        while len(ids) < max_length and ids[-1] != self.config['eos']:
            logits = self(src[None], torch.tensor([ids]))[0, -1]
            ids.append(int(torch.argmax(logits)))
        return ids


def tensors_of(model):
    """The tensors of the file, by name, as float32 numpy arrays."""
    out = {
        'src_embed.weight': model.src_embed.weight,
        'tgt_embed.weight': model.tgt_embed.weight,
        'generator.weight': model.generator.weight,
        'generator.bias': model.generator.bias,
    }
    for key, value in model.transformer.state_dict().items():
        out['transformer.' + key] = value
    return {k: v.detach().to(torch.float32).numpy() for k, v in out.items()}


def save(path, model, config, dtype='F32'):
    """Writes `model` (a Translator, or any module with src_embed, tgt_embed, transformer and
    generator) with `config` to `path`. dtype 'F16' stores half floats (the engine widens them)."""
    missing = [k for k in CONFIG_KEYS if k not in config]
    if missing:
        raise ValueError(f'config lacks {missing}')
    write(path, tensors_of(model), config, dtype)


def write(path, tensors, config, dtype='F32'):
    """Writes {name: numpy array} and the config as safetensors."""
    np_dtype = {'F32': '<f4', 'F16': '<f2'}[dtype]
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype=np_dtype).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(array.shape),
                        'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header['__metadata__'] = {'config': json.dumps(config, ensure_ascii=False)}
    text = json.dumps(header, ensure_ascii=False).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # the data starts 8-byte aligned, as safetensors' own writer does
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read(path):
    """Reads a file of this format: ({name: float32 numpy array}, config)."""
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n].decode('utf-8'))
    body = data[8 + n:]
    config = json.loads(header.pop('__metadata__')['config'])
    tensors = {}
    for name, entry in header.items():
        begin, end = entry['data_offsets']
        np_dtype = {'F32': '<f4', 'F16': '<f2'}[entry['dtype']]
        array = np.frombuffer(body[begin:end], dtype=np_dtype).reshape(entry['shape'])
        tensors[name] = array.astype(np.float32)
    return tensors, config


def load(path):
    """A Translator with the weights and config of a file of this format."""
    tensors, config = read(path)
    model = Translator(config)
    model.src_embed.weight.data = torch.tensor(tensors.pop('src_embed.weight'))
    model.tgt_embed.weight.data = torch.tensor(tensors.pop('tgt_embed.weight'))
    model.generator.weight.data = torch.tensor(tensors.pop('generator.weight'))
    model.generator.bias.data = torch.tensor(tensors.pop('generator.bias'))
    state = {k[len('transformer.'):]: torch.tensor(v) for k, v in tensors.items()}
    model.transformer.load_state_dict(state, strict=True)
    return model, config


if __name__ == '__main__':
    # python3 model/export.py FILE: what a file holds, read back with this module's reader
    import sys
    tensors, config = read(sys.argv[1])
    print(json.dumps({k: v for k, v in config.items() if not k.endswith('_vocab')}))
    print(f"src_vocab: {len(config['src_vocab'])} words, tgt_vocab: {len(config['tgt_vocab'])} words")
    for name, array in tensors.items():
        print(f'{name} {list(array.shape)}')
    print(f'{sum(a.size for a in tensors.values())} parameters')
