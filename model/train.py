#!/usr/bin/python3
"""Trains the translator shipped with the project: English -> Chinese on a small grammar.

    /usr/bin/python3 model/train.py        # Debian's python3 with torch 1.13; ~1-3 min on 2 cores

Writes model/translator.safetensors (the format of model/export.py) and prints the held-out exact
match and the training time. Fixed seeds: the same torch version gives the same file.

The grammar (generated here, so the corpus needs no download):
    sentence  = NP verb NP [time]             -> NP_zh [time_zh] verb_zh [了 if past] NP_zh
    NP        = Name                          -> 名字
              | Name's [adj] noun             -> 名字 的 [形容词] 名词      ("Tom's cat" -> "汤姆 的 猫")
              | the|a [adj] noun              -> [形容词] 名词              (articles have no counterpart)
    verb      = base form (chase) or past (chased -> 追逐 了)
    time      = yesterday | today | tomorrow, at the end in English, after the subject in Chinese
                ("Tom chased Jerry yesterday" -> "汤姆 昨天 追逐 了 杰瑞")
so that cross-attention is not a plain diagonal. "Tom chase Jerry" (the articles' sentence) is in
the grammar. Words are separated by spaces; "Tom's" is one source word.
"""
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import Translator, save  # noqa: E402

NAMES = {'Tom': '汤姆', 'Jerry': '杰瑞', 'Alice': '爱丽丝', 'Bob': '鲍勃', 'Mary': '玛丽',
         'John': '约翰'}
NOUNS = {'cat': '猫', 'dog': '狗', 'mouse': '老鼠', 'bird': '鸟', 'teacher': '老师',
         'student': '学生', 'apple': '苹果', 'book': '书'}
ADJECTIVES = {'big': '大', 'small': '小', 'black': '黑', 'white': '白', 'happy': '快乐'}
# base form, past form, Chinese
VERBS = [('chase', 'chased', '追逐'), ('see', 'saw', '看见'), ('like', 'liked', '喜欢'),
         ('help', 'helped', '帮助'), ('eat', 'ate', '吃'), ('follow', 'followed', '跟随')]
TIMES = {'yesterday': '昨天', 'today': '今天', 'tomorrow': '明天'}
ARTICLES = ['the', 'a']

SEED = 0
STEPS = 2500
BATCH = 64
CONFIG = dict(d_model=32, nhead=4, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=64,
              activation='relu', norm_first=False, layer_norm_eps=1e-5)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'translator.safetensors')


def vocabularies():
    src = ['<pad>'] + list(NAMES) + [n + "'s" for n in NAMES] + ARTICLES + list(ADJECTIVES) + \
        list(NOUNS) + [v[0] for v in VERBS] + [v[1] for v in VERBS] + list(TIMES)
    tgt = ['<pad>', '<bos>', '<eos>'] + list(NAMES.values()) + ['的'] + list(ADJECTIVES.values()) + \
        list(NOUNS.values()) + [v[2] for v in VERBS] + ['了'] + list(TIMES.values())
    return src, tgt


def noun_phrase(rng):
    kind = rng.random()
    if kind < 0.4:
        name = rng.choice(list(NAMES))
        return [name], [NAMES[name]]
    adjectives = rng.sample(list(ADJECTIVES), rng.choice([0, 0, 1, 1, 2]))
    noun = rng.choice(list(NOUNS))
    en = adjectives + [noun]
    zh = [ADJECTIVES[a] for a in adjectives] + [NOUNS[noun]]
    if kind < 0.7:
        name = rng.choice(list(NAMES))
        return [name + "'s"] + en, [NAMES[name], '的'] + zh
    return [rng.choice(ARTICLES)] + en, zh


def sentence(rng):
    subject_en, subject_zh = noun_phrase(rng)
    object_en, object_zh = noun_phrase(rng)
    base, past, verb_zh = rng.choice(VERBS)
    is_past = rng.random() < 0.5
    en = subject_en + [past if is_past else base] + object_en
    zh_verb = [verb_zh, '了'] if is_past else [verb_zh]
    time_zh = []
    if rng.random() < 0.4:
        word = rng.choice(list(TIMES))
        en.append(word)
        time_zh = [TIMES[word]]
    return en, subject_zh + time_zh + zh_verb + object_zh


def batch_of(pairs, src_index, tgt_index, config):
    S = max(len(en) for en, _ in pairs)
    T = max(len(zh) for _, zh in pairs) + 2
    src = torch.zeros(len(pairs), S, dtype=torch.long)
    tgt = torch.zeros(len(pairs), T, dtype=torch.long)
    for i, (en, zh) in enumerate(pairs):
        src[i, :len(en)] = torch.tensor([src_index[w] for w in en])
        ids = [config['bos']] + [tgt_index[w] for w in zh] + [config['eos']]
        tgt[i, :len(ids)] = torch.tensor(ids)
    return src, tgt


def main():
    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # one thread: with two, OpenMP waits on a loaded machine
    src_vocab, tgt_vocab = vocabularies()
    config = dict(CONFIG, src_vocab=src_vocab, tgt_vocab=tgt_vocab, pad=0, bos=1, eos=2)
    src_index = {w: i for i, w in enumerate(src_vocab)}
    tgt_index = {w: i for i, w in enumerate(tgt_vocab)}

    rng = random.Random(SEED)
    held_out = {}
    while len(held_out) < 2000:
        en, zh = sentence(rng)
        held_out[' '.join(en)] = zh
    held_out.pop('Tom chase Jerry', None)  # the page's sentence is checked on its own below

    model = Translator(config)
    parameters = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / 100) * max(0.05, 1 - s / STEPS))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=config['pad'])
    model.train()
    start = time.time()
    for step in range(STEPS):
        pairs = []
        while len(pairs) < BATCH:
            en, zh = sentence(rng)
            if ' '.join(en) not in held_out:
                pairs.append((en, zh))
        src, tgt = batch_of(pairs, src_index, tgt_index, config)
        logits = model(src, tgt[:, :-1])
        loss = loss_fn(logits.reshape(-1, len(tgt_vocab)), tgt[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % 100 == 0 or step == STEPS - 1:
            print(f'step {step:5d}  loss {loss.item():.4f}  {time.time() - start:.0f} s', flush=True)
    seconds = time.time() - start

    # train mode with dropout 0 is the same function as eval mode, without the fused fast path
    correct = 0
    for en, zh in held_out.items():
        src = torch.tensor([src_index[w] for w in en.split()])
        ids = model.greedy(src, max_length=len(zh) + 8)
        correct += [tgt_vocab[i] for i in ids[1:-1]] == zh and ids[-1] == config['eos']
    src = torch.tensor([src_index[w] for w in 'Tom chase Jerry'.split()])
    article = ' '.join(tgt_vocab[i] for i in model.greedy(src, max_length=10))
    print(f'parameters: {parameters}')
    print(f'training: {STEPS} steps of {BATCH} sentences in {seconds:.0f} s '
          f'({torch.get_num_threads()} threads)')
    print(f'held-out exact match: {correct}/{len(held_out)} = {100 * correct / len(held_out):.2f}%')
    print(f'Tom chase Jerry -> {article}')
    save(OUT, model, config)
    print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
