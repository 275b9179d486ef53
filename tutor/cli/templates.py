"""The starting files ``tutor new`` writes: each passes ``tutor check`` as it stands, and shows
one of every part an author needs next (a parameter, an experiment, a computed question, a
prediction, a choice), with a comment saying where the docs explain it."""

from __future__ import annotations

SCHEMA_LINE = "# yaml-language-server: $schema={schema}\n"

LESSON = """\
# A lesson for Landscape Tutor. Check it with `tutor check {filename}` (add --watch to re-check on
# every save), see a variant's answers with `tutor preview {filename} --seed 1`, and try it with
# `tutor plain {filename}`. The guide: docs/guide.md; every key: docs/format.md; every problem and
# tool with its options and values: docs/reference.md (or `tutor docs guide|format|reference`).
format: 1
id: {id}
title: {title}
summary: One line for the catalog.
level: 1                 # 1 intro, 2 core, 3 advanced, 4 research
minutes: 10
tags: []
requires: []             # ids of lessons to take first
sources: []              # what the lesson's claims rest on
params:                  # {{name}} in the steps below is replaced by the variant's value
  y: {{default: 1.0, choices: [1.0, 2.25, 4.0], label: the target}}
steps:
  - text: |
      Markdown text; math such as $L(w) = (y - w^2)^2$ is shown as Unicode. The target is y = {{y}}.
      Text that contains a colon followed by a space belongs in a block like this one (or in quotes).
  - question:            # a prediction: its experiment comes later, so it is asked before it runs
      id: guess
      kind: choice
      from: curve
      prompt: Before we run it, is the loss (y - w²)² convex in w?
      choices:
        - {{text: "Yes, it is a parabola", correct_if: convex}}
        - {{text: "No, it bends down somewhere", correct_if: not convex}}
  - experiment:
      id: curve
      run: curve                                      # a tool (docs/reference.md)
      problem: {{name: output-square, target: "{{y}}"}}   # a problem and its options
      with: {{from: -2.5, to: 2.5}}                     # the tool's options
      controls: [y]                                   # the learner may change y and re-run
      caption: The loss (y − w²)² for y = {{y}}
  - question:
      id: where-minima
      kind: points
      prompt: At which weights is the loss smallest? Separate values with commas.
      answer: {{from: curve, value: minima}}            # computed by the experiment, never typed in
      tolerance: {{abs: 0.02}}
      hints: ["Where does the curve touch zero?"]
      explain: The loss is zero where w² = y, at w = ±√y.
      show: curve                                     # the plot again, with the answer marked
"""

QUIZ = """\
# A quiz for Landscape Tutor: questions picked from lessons by their ids. Check it with
# `tutor check {filename}`; a student takes it with `tutor quiz take {id} --student ID`.
# Every key: docs/format.md, section "Quizzes".
format: 1
id: {id}
title: {title}
quiz:
  attempts: 2            # tries per question
  feedback: end          # each, end or none
  hints: false
  time_limit: 30         # minutes, from the first start
  shuffle: true          # question order per student
  variants: per-student  # each student their own numbers; fixed: one set of numbers for the whole class
questions:
{questions}"""


def title_of(ident: str) -> str:
    words = ident.replace("_", "-").split("-")
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] if text else ident
