"""Wire layer of the Ticket endpoints. (Skeleton: the operations are being written.)"""

from __future__ import annotations

from mockwish.wire.v2 import V2Router

router = V2Router("Ticket")
