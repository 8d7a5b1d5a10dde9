"""What a request costs the database: the SQL statements it runs (SQLAlchemy's
before_cursor_execute, on every engine) and the rows the ORM fetched for it. A page's cost
must follow the page, not the municipality: tests compare a small and a larger one."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session


@dataclass
class Cost:
    statements: list[str] = field(default_factory=list)
    parameters: list = field(default_factory=list)  # each statement's, as the driver got them
    rows: int = 0  # rows of the ORM's SELECTs, relationship loads included

    def __len__(self) -> int:
        return len(self.statements)

    def touching(self, table: str) -> list[str]:
        """The statements that read ``table`` (FROM or JOIN it)."""
        return [s for s in self.statements
                if f"FROM {table}" in s.replace("\n", " ") or f"JOIN {table}" in s.replace("\n", " ")]


@contextmanager
def counted() -> Iterator[Cost]:
    cost = Cost()

    def statement(conn, cursor, text, parameters, context, executemany) -> None:
        cost.statements.append(text)
        cost.parameters.append(parameters)

    def rows(state: ORMExecuteState):
        if not state.is_select:
            return None
        frozen = state.invoke_statement().freeze()
        cost.rows += len(frozen().all())
        return frozen()

    event.listen(Engine, "before_cursor_execute", statement)
    event.listen(Session, "do_orm_execute", rows)
    try:
        yield cost
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        event.remove(Session, "do_orm_execute", rows)


def cost_of(client, url: str) -> tuple[Cost, str]:
    """The cost of one GET of ``url`` (after one to warm caches), and the page it rendered."""
    assert client.get(url).status_code == 200
    with counted() as cost:
        response = client.get(url)
    assert response.status_code == 200, url
    return cost, response.get_data(as_text=True)
