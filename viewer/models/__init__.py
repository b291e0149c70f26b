"""The state of each page, free of Qt: what it shows, and what it must compute next.

A page's widgets forward every change to one model method; the model applies the page's rules
and answers with what to do: a :class:`~viewer.models.jobs.Job` (a Qt-free callable and its
arguments, which the page runs in a worker), a :class:`~viewer.models.jobs.Refusal` (a setting
that cannot run, with its sentence), or nothing. The job's result goes back into the model
(``model.accept(...)``), and the page draws what the model holds and writes the model's
settings back into its controls. Tests drive the models without Qt.
"""
