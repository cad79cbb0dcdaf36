"""Networks with memory, 1986-1997: Elman's SRN, backpropagation through time, vanishing
gradients, and long short-term memory.

- :mod:`~annhist.recurrent.tasks`: temporal XOR (Elman 1990), the embedded Reber grammar and
  Task 2a (Hochreiter & Schmidhuber 1997).
- :mod:`~annhist.recurrent.srn`: Elman's simple recurrent network with context units, trained
  one step at a time with the copy-back not differentiated (:class:`ElmanSRN`, ``train_elman``);
  :mod:`~annhist.recurrent.srn_fast` its training pass with preallocated buffers.
- :mod:`~annhist.recurrent.bptt`: a plain recurrent net and its gradient by backpropagation
  through time (Werbos 1990; the unfolding of Rumelhart, Hinton & Williams 1986);
  :mod:`~annhist.recurrent.bptt_fast` its gradient on preallocated buffers, for Task 2a's nets.
- :mod:`~annhist.recurrent.lstm`: the 1997 memory cell block (input and output gates, constant
  error carrousel); the forget gate of Gers et al. (2000) as the labelled variant ``forget=True``.
- :mod:`~annhist.recurrent.lstm_grad`: the exact gradient by BPTT and the 1997 truncated one.
- :mod:`~annhist.recurrent.lstm_online`: the paper's online learning rule (Appendix A.1);
  :mod:`~annhist.recurrent.lstm_task2a` the same rule fused for the one-cell net of Task 2a,
  :mod:`~annhist.recurrent.lstm_task2a_fast` that fused rule with preallocated buffers, and
  :mod:`~annhist.recurrent.lstm_online_fast` the general rule so for the nets of Experiment 1.
- :mod:`~annhist.recurrent.reber`, :mod:`~annhist.recurrent.lags`: Experiments 1 and 2a, and
  the error flow against the time lag (Hochreiter 1991; Bengio, Simard & Frasconi 1994).
- :mod:`~annhist.recurrent.experiments`: ``elman-xor``, ``lstm-reber``, ``lstm-long-lag``, ``rnn-vanishing``.
"""

from annhist.recurrent.bptt import bptt, init_rnn, rnn_forward, rnn_loss
from annhist.recurrent.lags import (
                                     error_flow_lstm,
                                     error_flow_rnn,
                                     error_flows,
                                     train_lstm_lag,
                                     train_rnn_lag,
)
from annhist.recurrent.lstm import (
                                     LSTMSpec,
                                     count_weights,
                                     g_1997,
                                     h_1997,
                                     init_lstm,
                                     lstm_forward,
                                     lstm_step,
)
from annhist.recurrent.lstm_grad import lstm_bptt, lstm_loss
from annhist.recurrent.lstm_online import run_online, truncated_step
from annhist.recurrent.reber import train_reber
from annhist.recurrent.srn import (
                                     ElmanSRN,
                                     elman_deltas,
                                     elman_step,
                                     run_elman,
                                     train_elman,
)
from annhist.recurrent.tasks import (
                                     allowed_next,
                                     embedded_reber_string,
                                     lag_sequences,
                                     reber_batch,
                                     reber_string,
                                     temporal_xor,
)

__all__ = [
                                     "ElmanSRN",
                                     "LSTMSpec",
                                     "allowed_next",
                                     "bptt",
                                     "count_weights",
                                     "elman_deltas",
                                     "elman_step",
                                     "embedded_reber_string",
                                     "error_flow_lstm",
                                     "error_flow_rnn",
                                     "error_flows",
                                     "g_1997",
                                     "h_1997",
                                     "init_lstm",
                                     "init_rnn",
                                     "lag_sequences",
                                     "lstm_bptt",
                                     "lstm_forward",
                                     "lstm_loss",
                                     "lstm_step",
                                     "reber_batch",
                                     "reber_string",
                                     "rnn_forward",
                                     "rnn_loss",
                                     "run_elman",
                                     "run_online",
                                     "temporal_xor",
                                     "train_elman",
                                     "train_lstm_lag",
                                     "train_reber",
                                     "train_rnn_lag",
                                     "truncated_step",
]
